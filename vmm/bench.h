/* vmm/bench.h: --bench, the exit loop's optional bench module (bench/README.md). */
#ifndef VMM_BENCH_H
#define VMM_BENCH_H

#include "run.h"

/* host.kvm_run.pio, vmm.rss_overhead and vmm.rss_private_overhead, printed on stderr at exit. */
extern const struct run_module bench_module;

#endif
