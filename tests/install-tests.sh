#!/bin/sh
# tests/install-tests.sh: what a user installs and meets first: make install and uninstall (GNU directories, DESTDIR), the manual page, --version and --help, a task built against the installed library and run under QEMU, and the GitHub workflow.
#
# Prints one line per check and "install: N passed, N failed". Needs no KVM: the installed
# kernel boots under QEMU's TCG through its PVH note (tests/pvh-tests.sh has the details).
set -u
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=0
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
STAGE=$TMP/stage
PREFIX=/usr/local
T=${PVH_TIMEOUT:-60}

ok() { passed=$((passed + 1)); echo "ok   [install] $1"; }
fail() { failed=$((failed + 1)); echo "FAIL [install] $1"; }

# The files make install promises (install.mk), relative to DESTDIR, with their modes.
FILES="$PREFIX/bin/lde-vmm:755
$PREFIX/lib/lde/guest.elf:644
$PREFIX/lib/lde/crt0.o:644
$PREFIX/lib/lde/liblde.a:644
$PREFIX/include/lde/lde.h:644
$PREFIX/include/lde/abi/syscall.h:644
$PREFIX/share/man/man1/lde-vmm.1:644"

if make -s install DESTDIR="$STAGE" PREFIX="$PREFIX" >"$TMP/make.out" 2>&1; then
	ok "make install DESTDIR=... PREFIX=$PREFIX"
else
	fail "make install failed: $(tail -n 5 "$TMP/make.out")"
fi
missing=""
for f in $FILES; do
	path=${f%:*}
	mode=${f##*:}
	if [ ! -f "$STAGE$path" ]; then
		missing="$missing $path"
	elif [ "$(stat -c %a "$STAGE$path")" != "$mode" ]; then
		missing="$missing $path(mode $(stat -c %a "$STAGE$path"), not $mode)"
	fi
done
if [ -z "$missing" ]; then ok "every file is installed, with its mode"; else fail "not as promised:$missing"; fi
extra=$(cd "$STAGE" && find . -type f | sed 's/^\.//' | while read -r f; do
	echo "$FILES" | grep -q "^$f:" || echo "$f"
done)
if [ -z "$extra" ]; then ok "nothing else is installed"; else fail "unexpected files: $extra"; fi

VMM=$STAGE$PREFIX/bin/lde-vmm
if out=$("$VMM" --version 2>&1) && echo "$out" | grep -qx "LDE vmm $(cat VERSION)\( (git [0-9a-z.-]*)\)\{0,1\}"; then
	ok "lde-vmm --version: $out"
else
	fail "lde-vmm --version: '$out'"
fi
if "$VMM" --help >"$TMP/help" 2>&1 && grep -q '^usage: ' "$TMP/help" && grep -q -- '--version' "$TMP/help"; then
	ok "lde-vmm --help exits 0 with the usage"
else
	fail "lde-vmm --help: $(head -n 3 "$TMP/help")"
fi

# The manual page renders without a warning, with the installed paths filled in, and
# documents every option --help lists.
MAN=$STAGE$PREFIX/share/man/man1/lde-vmm.1
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man --warnings -l "$MAN" >"$TMP/man.txt" 2>"$TMP/man.err" </dev/null
else
	groff -man -ww -Tutf8 "$MAN" >"$TMP/man.txt" 2>"$TMP/man.err"
fi
if [ $? = 0 ] && [ ! -s "$TMP/man.err" ] && [ -s "$TMP/man.txt" ]; then
	ok "the manual page renders without warnings"
else
	fail "the manual page: $(head -n 5 "$TMP/man.err")"
fi
# man formats bold and hyphens its own ways: compare plain text.
sed 's/.\x08//g; s/‐/-/g; s/−/-/g' "$TMP/man.txt" >"$TMP/man.plain"
sections=""
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "KERNEL WORDS" "EXIT STATUS" "WITHOUT LDE-VMM" FILES EXAMPLES; do
	grep -qx "$s" "$TMP/man.plain" || sections="$sections '$s'"
done
if [ -z "$sections" ]; then ok "the manual page has its sections"; else fail "sections missing:$sections"; fi
if grep -q '@' "$TMP/man.plain" || ! grep -q "$PREFIX/lib/lde/guest.elf" "$TMP/man.plain"; then
	fail "the manual page's @...@ paths were not filled in: $(grep -m 2 '@' "$TMP/man.plain")"
else
	ok "the manual page names the installed paths"
fi
undocumented=""
for opt in $(grep -o -- '--[a-z][a-z-]*' "$TMP/help" | sort -u); do
	grep -q -- "$opt" "$TMP/man.plain" || undocumented="$undocumented $opt"
done
for word in hz= timer= trace= strace= bench= pcid= gbpages= selftest=; do
	grep -q -- "$word" "$TMP/man.plain" || undocumented="$undocumented $word"
done
for st in 124 125 126 127; do
	grep -Eq "^ +$st " "$TMP/man.plain" || undocumented="$undocumented status-$st"
done
if [ -z "$undocumented" ]; then
	ok "every option, kernel word and VMM exit status is in the manual page"
else
	fail "not in the manual page:$undocumented"
fi

# A task built against the installed header and library, as the manual page shows, run by the
# installed kernel under QEMU (no KVM needed): it prints, and its status comes back.
cat >"$TMP/task.c" <<'END'
#include "lde.h"
int main(int argc, char **argv)
{
	printf("installed: pid %ld, argc %d\n", getpid(), argc);
	return argv[0][0] != '\0' ? 5 : 1;
}
END
INC=$STAGE$PREFIX/include/lde
LIB=$STAGE$PREFIX/lib/lde
if gcc -static -nostdlib -no-pie -ffreestanding -fno-stack-protector -I"$INC" \
	-o "$TMP/task.elf" "$LIB/crt0.o" "$TMP/task.c" "$LIB/liblde.a" >"$TMP/cc.out" 2>&1; then
	ok "a task compiles and links against the installed lde.h, crt0.o and liblde.a"
	timeout -k 5 "$T" qemu-system-x86_64 -M q35 -cpu max -accel tcg -m 128M -nodefaults \
		-display none -monitor none -serial stdio -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$LIB/guest.elf" -initrd "$TMP/task.elf" </dev/null >"$TMP/run.out" 2>&1
	rc=$?
	# Status 5 through isa-debug-exit: QEMU exits 2 * 5 + 1.
	if [ "$rc" = 11 ] && grep -qx "installed: pid 1, argc 1" "$TMP/run.out"; then
		ok "the installed kernel runs it under QEMU: its line, and status 5 as QEMU's 11"
	else
		fail "the installed kernel under QEMU: exit $rc: $(tail -n 4 "$TMP/run.out" | tr '\n' '|')"
	fi
else
	fail "building against the installed files: $(tail -n 5 "$TMP/cc.out")"
fi

# Another prefix and a bindir of one's own reach the right places.
if make -s install DESTDIR="$TMP/opt" PREFIX=/opt/lde bindir=/opt/lde/sbin >"$TMP/make2.out" 2>&1 &&
	[ -x "$TMP/opt/opt/lde/sbin/lde-vmm" ] && [ -f "$TMP/opt/opt/lde/lib/lde/guest.elf" ] &&
	grep -q '/opt/lde/lib/lde/guest.elf' "$TMP/opt/opt/lde/share/man/man1/lde-vmm.1"; then
	ok "PREFIX=/opt/lde bindir=/opt/lde/sbin: files and the manual page's paths follow"
else
	fail "PREFIX=/opt/lde: $(tail -n 3 "$TMP/make2.out"); $(cd "$TMP/opt" 2>/dev/null && find . -type f | head -n 3)"
fi

# make uninstall removes every file it installed, and the package's own directories.
if make -s uninstall DESTDIR="$STAGE" PREFIX="$PREFIX" >"$TMP/un.out" 2>&1; then
	left=$(cd "$STAGE" && find . -type f)
	if [ -z "$left" ] && [ ! -e "$STAGE$PREFIX/lib/lde" ] && [ ! -e "$STAGE$PREFIX/include/lde" ]; then
		ok "make uninstall removes every file and the lde directories"
	else
		fail "make uninstall left: $left $(ls -d "$STAGE$PREFIX/lib/lde" "$STAGE$PREFIX/include/lde" 2>/dev/null)"
	fi
else
	fail "make uninstall failed: $(tail -n 3 "$TMP/un.out")"
fi

# The GitHub workflow parses as YAML and has its three jobs, each runnable as written.
WF=.github/workflows/ci.yml
PY=""
for p in python3 /usr/bin/python3; do
	if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import yaml' 2>/dev/null; then PY=$p; break; fi
done
if [ -n "$PY" ]; then
	if "$PY" - "$WF" >"$TMP/wf.out" 2>&1 <<'END'
import sys, yaml
wf = yaml.safe_load(open(sys.argv[1]))
on = wf.get("on", wf.get(True))  # YAML 1.1 reads the key `on` as true
assert on and "push" in on and "pull_request" in on, "triggers: %r" % (on,)
jobs = wf["jobs"]
assert set(jobs) == {"kvm", "qemu-only", "bench"}, "jobs: %r" % sorted(jobs)
for name, job in jobs.items():
    assert job["runs-on"] == "ubuntu-latest", name
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@"), name
    for s in steps:
        assert ("run" in s) != ("uses" in s), "%s: a step runs or uses: %r" % (name, s)
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "sudo sh .ci/deps" in runs, name + ": no packages"
    udev = "99-kvm4all.rules" in runs and "udevadm trigger --name-match=kvm" in runs
    assert udev == (name != "qemu-only"), name + ": the udev rule where KVM is used, only there"
assert "make check && make check SANITIZE=1" in "\n".join(s.get("run", "") for s in jobs["kvm"]["steps"])
up = [s for s in jobs["bench"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@v4")]
assert up and up[0]["with"]["path"] == "bench/results", "bench: no artifact of bench/results"
assert any("make bench" == s.get("run") for s in jobs["bench"]["steps"]), "bench: no make bench"
END
	then ok "$WF parses as YAML: jobs kvm, qemu-only, bench, as the README describes"
	else fail "$WF: $(tail -n 3 "$TMP/wf.out")"; fi
else
	# No YAML parser: at least tabs (which YAML forbids) and the three jobs.
	if ! grep -q "$(printf '\t')" "$WF" && grep -q '^  kvm:$' "$WF" && grep -q '^  qemu-only:$' "$WF" &&
		grep -q '^  bench:$' "$WF"; then
		ok "$WF: no tabs, three jobs (no python3-yaml here to parse it)"
	else
		fail "$WF: tabs, or a job missing"
	fi
fi
# The README's test command is the one the kvm job runs.
if grep -q '^make check && make check SANITIZE=1' README.md; then
	ok "the workflow runs the README's test command"
else
	fail "the README's test command is not 'make check && make check SANITIZE=1'"
fi

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
