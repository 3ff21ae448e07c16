#pragma once
// Jobs a previous run of the emulator left unfinished: with --data, a job that was `waiting` or
// `processing` when the emulator stopped (SIGTERM, a kill, a crash) would otherwise stay so
// forever and every client polling it would wait until its own timeout.
#include "model/store.hpp"
#include "util/clock.hpp"

namespace kbc::emulator {

// At start, before any job is submitted: every `waiting` or `processing` job of every project
// ends as `error` with code storage.jobInterrupted and a message saying to run it again.
// Returns how many there were.
int end_interrupted_jobs(Store& store, const Clock& clock);

}  // namespace kbc::emulator
