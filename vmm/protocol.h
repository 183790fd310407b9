/* vmm/protocol.h: --protocol: the run as OSTEP's two "Limited Direct Execution Protocol" tables, from the kernel's trace events. */
#ifndef VMM_PROTOCOL_H
#define VMM_PROTOCOL_H

#include <stdint.h>
#include <stdio.h>

#include "../abi/trace.h"

/* protocol_begin: forget any earlier run; the tables name the platform. (Rows are stamped in
 * cycles, so no TSC rate is needed.) */
void protocol_begin(const char *platform);

/* protocol_event: one event, in the order the kernel recorded them. */
void protocol_event(const struct lde_trace_event *e);

/* protocol_print: both tables, rows in time order, each row with its cycle stamp. */
void protocol_print(FILE *f);

#endif
