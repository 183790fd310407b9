/* vmm/trace_json.h: trace events as Chrome trace-event JSON, written as they come (vmm/trace.c feeds it). */
#ifndef VMM_TRACE_JSON_H
#define VMM_TRACE_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "../abi/trace.h"

#define TRACE_EVENTS_MAX 200000 /* JSON events written at most: about 30 MB */
#define TRACE_PIDS_MAX 4096     /* tasks whose open slices are tracked (pids above: not closed) */

/* trace_json_begin: the file's head and the tracks' names; tsc0 is time 0. */
void trace_json_begin(FILE *f, uint64_t tsc_khz, uint64_t tsc0, const char *platform);

/* trace_json_set_cap: write at most cap events (TRACE_EVENTS_MAX unless a test says less). */
void trace_json_set_cap(uint64_t cap);

/* trace_json_event: one kernel event. */
void trace_json_event(const struct lde_trace_event *e);

/* trace_json_vm_exit: one VM exit on the VMM's track, from start to end (guest TSC). */
void trace_json_vm_exit(const char *name, uint64_t start, uint64_t end);

/* trace_json_dropped: n events the kernel could not record. */
void trace_json_dropped(uint64_t n);

/* trace_json_end: close the array and the object, flush, and say on stderr what was written
 * to path (events, and dropped ones). Returns 0, or -1 when writing failed. */
int trace_json_end(const char *path);

/* The name the trace and the protocol tables give a trap ("timer interrupt", "#PF page
 * fault", ...); a system call's is common/sysname.h's. */
const char *trace_trap_name(uint64_t vector);

#endif
