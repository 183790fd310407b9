# bench/report.mk: the report tool, $(REPORT) (bench/report.c), and its core, bench/stats.c, which the unit tests share.
# Included from bench/bench.mk, before the Makefile computes UNIT_OBJS from UNIT_SRCS.

REPORT := $(HOST_BUILD)/bench/report
REPORT_SRCS := \
	bench/report.c \
	bench/stats.c
REPORT_OBJS := $(REPORT_SRCS:%.c=$(HOST_BUILD)/%.o)

# The unit tests link the same stats.o as the tool: it needs none of Check's flags.
UNIT_SRCS += bench/stats.c
UNIT_SRCS += tests/unit/test_report.c

$(REPORT): $(REPORT_OBJS)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lm

$(HOST_BUILD)/bench/%.o: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c -o $@ $<

-include $(REPORT_OBJS:.o=.d)
