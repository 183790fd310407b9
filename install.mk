# install.mk: `make install` and `make uninstall` (included by the Makefile), with the GNU Coding Standards' directory variables and DESTDIR.
#
#   make install PREFIX=/usr/local DESTDIR=/tmp/stage     (PREFIX and prefix are the same)
#
# installs
#   $(bindir)/lde-vmm                  the VMM, vmm/vmm in the tree ("vmm" alone is too generic
#                                      a name for a directory other programs share)
#   $(pkglibdir)/guest.elf             the kernel
#   $(pkglibdir)/crt0.o, liblde.a      the user library, to build tasks with
#   $(pkgincludedir)/lde.h, abi/syscall.h   its headers
#   $(man1dir)/lde-vmm.1               the manual page
# and `make uninstall` removes exactly those, and the package's own directories if empty.

PREFIX ?= /usr/local
prefix ?= $(PREFIX)
exec_prefix ?= $(prefix)
bindir ?= $(exec_prefix)/bin
libdir ?= $(exec_prefix)/lib
includedir ?= $(prefix)/include
datarootdir ?= $(prefix)/share
datadir ?= $(datarootdir)
mandir ?= $(datarootdir)/man
man1dir ?= $(mandir)/man1
# The kernel and the user library are x86-64 code for the guest, not the host's: they live
# in a directory of their own under libdir, as GCC's runtime files do.
pkglibdir ?= $(libdir)/lde
pkgincludedir ?= $(includedir)/lde

INSTALL ?= install
INSTALL_PROGRAM ?= $(INSTALL)
INSTALL_DATA ?= $(INSTALL) -m 644

VMM_NAME := lde-vmm
INSTALLED := \
	$(bindir)/$(VMM_NAME) \
	$(pkglibdir)/guest.elf \
	$(pkglibdir)/crt0.o \
	$(pkglibdir)/liblde.a \
	$(pkgincludedir)/lde.h \
	$(pkgincludedir)/abi/syscall.h \
	$(man1dir)/$(VMM_NAME).1

# lde.h reaches the ABI as ../../abi/syscall.h in the tree; installed, abi/ sits beside it.
$(BUILD)/install/lde.h: guest/user/lde.h install.mk
	@mkdir -p $(@D)
	{ echo '/* installed by make install from guest/user/lde.h, its abi/ include made relative */'; \
	  sed 's|#include "../../abi/syscall.h"|#include "abi/syscall.h"|' $<; } > $@.tmp
	grep -q '^#include "abi/syscall.h"$$' $@.tmp || { echo "install.mk: lde.h's ABI include moved" >&2; exit 1; }
	mv $@.tmp $@

# The manual page names the directories it was installed with (FORCE: they may change).
$(BUILD)/install/$(VMM_NAME).1: docs/$(VMM_NAME).1 FORCE
	@mkdir -p $(@D)
	sed -e 's|@pkglibdir@|$(pkglibdir)|g' -e 's|@pkgincludedir@|$(pkgincludedir)|g' \
		-e 's|@VERSION@|$(shell cat VERSION)|g' $< > $@

.PHONY: install uninstall
install: all $(BUILD)/install/lde.h $(BUILD)/install/$(VMM_NAME).1
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(pkglibdir) $(DESTDIR)$(pkgincludedir)/abi \
		$(DESTDIR)$(man1dir)
	$(INSTALL_PROGRAM) vmm/vmm $(DESTDIR)$(bindir)/$(VMM_NAME)
	$(INSTALL_DATA) guest.elf $(CRT0) $(ULIB) $(DESTDIR)$(pkglibdir)
	$(INSTALL_DATA) $(BUILD)/install/lde.h $(DESTDIR)$(pkgincludedir)/lde.h
	$(INSTALL_DATA) abi/syscall.h $(DESTDIR)$(pkgincludedir)/abi/syscall.h
	$(INSTALL_DATA) $(BUILD)/install/$(VMM_NAME).1 $(DESTDIR)$(man1dir)/$(VMM_NAME).1

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	rmdir $(DESTDIR)$(pkgincludedir)/abi $(DESTDIR)$(pkgincludedir) $(DESTDIR)$(pkglibdir) \
		2>/dev/null || true
