/* vmm/version.c: the version `vmm --version` prints, as the Makefile passes it in. */
#include "version.h"

#ifndef LDE_VERSION
#error "the Makefile defines LDE_VERSION, from the VERSION file and git describe"
#endif

const char vmm_version[] = LDE_VERSION;
