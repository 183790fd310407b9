# bench/report.mk: the report tool (bench/report.c, bench/stats.c); to be written.
