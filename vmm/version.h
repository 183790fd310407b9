/* vmm/version.h: the version `vmm --version` prints. */
#ifndef VMM_VERSION_H
#define VMM_VERSION_H

/* "0.5.0", with " (git DESCRIBE)" appended when built in a git checkout (the Makefile). */
extern const char vmm_version[];

#endif
