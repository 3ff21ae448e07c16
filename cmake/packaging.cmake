# `cpack -G DEB` in the build tree: one package per program (the install components of
# cmake/install.cmake). Depends are not written by hand: dpkg-shlibdeps derives them from the
# shared libraries each binary links (tests/install checks them against ldd).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kbc-storage-extract)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "kbc-storage-extract maintainers")
set(CPACK_PACKAGE_CONTACT "kbc-storage-extract maintainers <maintainers@users.noreply.r-seed-cf41eb8e.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # the build is RelWithDebInfo; packages carry no debug info
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kbc-storage-extract kbc-storage-emulator)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <package>_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${CPACK_PACKAGE_CONTACT})
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_DEBIAN_KBC-STORAGE-EXTRACT_PACKAGE_NAME kbc-storage-extract)
set(CPACK_COMPONENT_KBC-STORAGE-EXTRACT_DESCRIPTION
    "Copy Keboola Storage tables between projects, organizations and regions
 kbc-storage-extract copies tables from one Keboola Connection project into a
 bucket of another, across organizations, regions and file storage providers
 (AWS S3, Google Cloud Storage, Azure Blob Storage), streaming each table from
 storage to storage. It verifies that the source token is read-only on one
 bucket, honours Changes Since, and loads each table with its save settings.
 License: MIT.")
set(CPACK_DEBIAN_KBC-STORAGE-EMULATOR_PACKAGE_NAME kbc-storage-emulator)
set(CPACK_DEBIAN_KBC-STORAGE-EMULATOR_PACKAGE_SECTION devel)
set(CPACK_COMPONENT_KBC-STORAGE-EMULATOR_DESCRIPTION
    "Local emulator of the Keboola Storage API subset kbc-storage-extract uses
 kbc-storage-emulator serves tokens, buckets, tables, asynchronous jobs and
 sliced exports over HTTP, with S3- and GCS-compatible file storage that checks
 its credentials and fault injection, for testing kbc-storage-extract and
 scripts built on it without a Keboola project.
 License: MIT.")

include(CPack)
