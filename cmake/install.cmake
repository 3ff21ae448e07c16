# What `cmake --install build --prefix P` puts under P, in two components (one .deb each,
# cmake/packaging.cmake). Tests, test peers, fuzz targets and the static libraries stay in
# the build tree.
include(GNUInstallDirs)

set(KBC_DOC_DIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/kbc-storage-extract)
set(KBC_EMULATOR_DOC_DIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/kbc-storage-emulator)

# Debian's copyright file (DEP-5: machine-readable) for each package's doc folder: the license
# text indented by one space, its empty lines as " .".
file(READ ${PROJECT_SOURCE_DIR}/LICENSE KBC_LICENSE_TEXT)
string(STRIP "${KBC_LICENSE_TEXT}" KBC_LICENSE_TEXT)
string(REPLACE "\n\n" "\n.\n" KBC_LICENSE_TEXT "${KBC_LICENSE_TEXT}")
string(REPLACE "\n" "\n " KBC_LICENSE_TEXT " ${KBC_LICENSE_TEXT}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/copyright.in ${PROJECT_BINARY_DIR}/copyright @ONLY)

foreach(program kbc-storage-extract kbc-storage-emulator)
  install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT ${program})
  install(FILES ${KBC_CLI_DOCS_DIR}/man1/${program}.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${program})
  install(FILES ${KBC_CLI_DOCS_DIR}/bash-completion/${program}
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions COMPONENT ${program})
  install(FILES ${KBC_CLI_DOCS_DIR}/zsh/_${program}
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions COMPONENT ${program})
endforeach()

install(FILES README.md LICENSE ${PROJECT_BINARY_DIR}/copyright DESTINATION ${KBC_DOC_DIR}
        COMPONENT kbc-storage-extract)
install(DIRECTORY docs examples DESTINATION ${KBC_DOC_DIR} COMPONENT kbc-storage-extract)
install(FILES docs/emulator.md LICENSE ${PROJECT_BINARY_DIR}/copyright DESTINATION ${KBC_EMULATOR_DOC_DIR}
        COMPONENT kbc-storage-emulator)
