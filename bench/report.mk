# bench/report.mk: the host tools that read results: $(REPORT) (bench/report.c) and $(COMPARE) (bench/compare.c), and their cores, which the unit tests share.
# Included from bench/bench.mk, before the Makefile computes UNIT_OBJS from UNIT_SRCS.

REPORT := $(HOST_BUILD)/bench/report
REPORT_SRCS := \
	bench/report.c \
	bench/stats.c
REPORT_OBJS := $(REPORT_SRCS:%.c=$(HOST_BUILD)/%.o)

# bench/compare OLD.json NEW.json runs this (bench/README.md, "Comparing two runs").
COMPARE := $(HOST_BUILD)/bench/compare
COMPARE_SRCS := \
	bench/compare.c \
	bench/json.c \
	bench/judge.c \
	bench/stats.c
COMPARE_OBJS := $(COMPARE_SRCS:%.c=$(HOST_BUILD)/%.o)

# The unit tests link the same objects as the tools: they need none of Check's flags.
UNIT_SRCS += bench/stats.c
UNIT_SRCS += bench/json.c
UNIT_SRCS += bench/judge.c
UNIT_SRCS += tests/unit/test_report.c
UNIT_SRCS += tests/unit/test_json.c
UNIT_SRCS += tests/unit/test_judge.c

$(REPORT): $(REPORT_OBJS)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lm

$(COMPARE): $(COMPARE_OBJS)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -lm

$(HOST_BUILD)/bench/%.o: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -c -o $@ $<

-include $(REPORT_OBJS:.o=.d) $(COMPARE_OBJS:.o=.d)
