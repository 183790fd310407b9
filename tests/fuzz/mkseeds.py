#!/usr/bin/env python3
# tests/fuzz/mkseeds.py: regenerates the seed corpus under tests/fuzz/corpus/ (checked in; run by hand).
"""Writes a few small valid and invalid inputs per fuzz target.

ELF seeds come two ways: hand-made minimal images (one ELF header, program headers, a few
bytes of code) and images the toolchain links from a one-instruction .S file (needs cc).
Run from anywhere: python3 tests/fuzz/mkseeds.py. Existing seeds of the same name are
overwritten; nothing else is removed.
"""
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")

PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_GNU_STACK = 1, 2, 3, 0x6474E551
PF_X, PF_W, PF_R = 1, 2, 4
EHDR, PHDR = 64, 56
USER_TOP = 0x0000800000000000


def ehdr(entry, phnum, phoff=EHDR, cls=2, data=1, etype=2, machine=62, osabi=0):
    ident = b"\x7fELF" + bytes([cls, data, 1, osabi]) + bytes(8)
    return ident + struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry, phoff, 0, 0,
                               EHDR, PHDR, phnum, 64, 0, 0)


def phdr(ptype, flags, offset, vaddr, paddr, filesz, memsz, align=0x1000):
    return struct.pack("<IIQQQQQQ", ptype, flags, offset, vaddr, paddr, filesz, memsz, align)


def image(entry, segs, code=b"\xf4", **kw):
    """An ELF file: header, program headers, then `code`; each seg is a dict for phdr()
    whose offsets may use "CODE" for the offset of the code bytes."""
    phnum = len(segs)
    code_off = EHDR + PHDR * phnum
    out = ehdr(entry(code_off) if callable(entry) else entry, phnum, **kw)
    for s in segs:
        s = {k: (v(code_off) if callable(v) else v) for k, v in s.items()}
        out += phdr(**s)
    return out + code


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
    assert len(data) <= 16 << 10, (target, name, len(data))


def toolchain_elf(asm, ldflags):
    with tempfile.TemporaryDirectory() as t:
        src, out = os.path.join(t, "s.S"), os.path.join(t, "s.elf")
        with open(src, "w") as f:
            f.write(asm)
        cc = os.environ.get("CC", "cc")
        subprocess.run([cc, "-nostdlib", "-static", "-no-pie", "-s", "-Wl,--build-id=none",
                        "-Wl,-z,max-page-size=4096", "-Wl,-z,noexecstack", *ldflags,
                        "-o", out, src], check=True)
        with open(out, "rb") as f:
            return f.read()


ONE_INSN = "\t.globl _start\n_start:\thlt\n"
TEXT_DATA_BSS = ("\t.globl _start\n_start:\tjmp _start\n"
                 "\t.data\nd:\t.quad 1\n\t.bss\n\t.skip 4096\n")


def elf_load_seeds():
    t = "elf_load"
    code = b"\xf4\xeb\xfd"  # hlt; jmp .-1
    # One RX segment at 1 MiB holding the headers and the code, entry at the code.
    one = image(lambda c: 0x100000 + c,
                [dict(ptype=PT_LOAD, flags=PF_R | PF_X, offset=0, vaddr=0x100000,
                      paddr=0x100000, filesz=lambda c: c + 3, memsz=lambda c: c + 3)], code)
    write(t, "min_one_segment.elf", one)
    # The kernel's way: linked high (vaddr in the top 2 GiB), loaded at 1 MiB (paddr);
    # text, then data with BSS on the next page, and a GNU_STACK header.
    hi = 0xFFFFFFFF80000000
    two = image(lambda c: hi + 0x100000 + c,
                [dict(ptype=PT_LOAD, flags=PF_R | PF_X, offset=0, vaddr=hi + 0x100000,
                      paddr=0x100000, filesz=lambda c: c + 3, memsz=lambda c: c + 3),
                 dict(ptype=PT_LOAD, flags=PF_R | PF_W, offset=lambda c: c,
                      vaddr=lambda c: hi + 0x101000 + c, paddr=lambda c: 0x101000 + c,
                      filesz=3, memsz=0x2000),
                 dict(ptype=PT_GNU_STACK, flags=PF_R | PF_W, offset=0, vaddr=0, paddr=0,
                      filesz=0, memsz=0, align=16)], code)
    write(t, "high_vaddr_text_bss.elf", two)
    write(t, "ld_text_segment_1m.elf", toolchain_elf(ONE_INSN, ["-Wl,-Ttext-segment=0x100000"]))
    write(t, "ld_one_segment_1m.elf",
          toolchain_elf(ONE_INSN, ["-Wl,-Ttext-segment=0x100000", "-Wl,-z,noseparate-code"]))
    # Refused ones.
    write(t, "bad_truncated.elf", one[:40])
    write(t, "bad_class32.elf", one[:4] + b"\x01" + one[5:])
    write(t, "bad_below_load_min.elf",
          image(lambda c: 0x80000 + c,
                [dict(ptype=PT_LOAD, flags=PF_R | PF_X, offset=0, vaddr=0x80000, paddr=0x80000,
                      filesz=lambda c: c + 3, memsz=lambda c: c + 3)], code))
    write(t, "bad_overlap.elf",
          image(lambda c: 0x100000 + c,
                [dict(ptype=PT_LOAD, flags=PF_R | PF_X, offset=0, vaddr=0x100000,
                      paddr=0x100000, filesz=lambda c: c + 3, memsz=0x1000),
                 dict(ptype=PT_LOAD, flags=PF_R | PF_W, offset=0, vaddr=0x100000,
                      paddr=0x100800, filesz=0, memsz=0x1000)], code))
    write(t, "bad_interp.elf",
          image(lambda c: 0x100000 + c,
                [dict(ptype=PT_INTERP, flags=PF_R, offset=0, vaddr=0, paddr=0, filesz=1,
                      memsz=1, align=1),
                 dict(ptype=PT_LOAD, flags=PF_R | PF_X, offset=0, vaddr=0x100000,
                      paddr=0x100000, filesz=lambda c: c + 3, memsz=lambda c: c + 3)], code))


def elfcheck_seeds():
    t = "elfcheck"
    code = b"\x0f\x05\xeb\xfc"  # syscall; jmp back
    # Text RX in the page at 0x401000 (file offset = vaddr mod 4096), data+BSS RW at 0x402000.
    ok = image(lambda c: 0x401000 + c,
               [dict(ptype=PT_LOAD, flags=PF_R | PF_X, offset=lambda c: c,
                     vaddr=lambda c: 0x401000 + c, paddr=lambda c: 0x401000 + c,
                     filesz=4, memsz=4),
                dict(ptype=PT_LOAD, flags=PF_R | PF_W, offset=lambda c: c,
                     vaddr=lambda c: 0x402000 + c, paddr=lambda c: 0x402000 + c,
                     filesz=4, memsz=0x1800),
                dict(ptype=PT_GNU_STACK, flags=PF_R | PF_W, offset=0, vaddr=0, paddr=0,
                     filesz=0, memsz=0, align=16)], code)
    write(t, "min_text_data.elf", ok)
    write(t, "ld_text_0x401000.elf", toolchain_elf(ONE_INSN, ["-Wl,-Ttext=0x401000"]))
    write(t, "ld_text_data_bss.elf", toolchain_elf(TEXT_DATA_BSS, ["-Wl,-Ttext=0x401000"]))
    # Refused ones.
    write(t, "bad_truncated.elf", ok[:63])
    write(t, "bad_wx.elf",
          image(lambda c: 0x401000 + c,
                [dict(ptype=PT_LOAD, flags=PF_R | PF_W | PF_X, offset=lambda c: c,
                      vaddr=lambda c: 0x401000 + c, paddr=0, filesz=4, memsz=4)], code))
    write(t, "bad_shared_page.elf",
          image(lambda c: 0x401000 + c,
                [dict(ptype=PT_LOAD, flags=PF_R | PF_X, offset=lambda c: c,
                      vaddr=lambda c: 0x401000 + c, paddr=0, filesz=4, memsz=4),
                 dict(ptype=PT_LOAD, flags=PF_R | PF_W, offset=lambda c: c + 4,
                      vaddr=lambda c: 0x401000 + c + 4, paddr=0, filesz=0, memsz=8)],
                code))
    write(t, "bad_kernel_half.elf",
          image(lambda c: 0xFFFFFFFF80001000 + c,
                [dict(ptype=PT_LOAD, flags=PF_R | PF_X, offset=lambda c: c,
                      vaddr=lambda c: 0xFFFFFFFF80001000 + c, paddr=0, filesz=4, memsz=4)],
                code))
    write(t, "bad_entry_in_data.elf",
          image(lambda c: 0x402000 + c,
                [dict(ptype=PT_LOAD, flags=PF_R | PF_X, offset=lambda c: c,
                      vaddr=lambda c: 0x401000 + c, paddr=0, filesz=4, memsz=4),
                 dict(ptype=PT_LOAD, flags=PF_R | PF_W, offset=lambda c: c,
                      vaddr=lambda c: 0x402000 + c, paddr=0, filesz=4, memsz=4)], code))


def hypercall_seeds():
    t = "hypercall"

    def hc(nr, gpa, ram):
        return struct.pack("<II", nr, gpa) + ram

    ram = bytearray(0x210)
    ram[0x100:0x118] = struct.pack("<QQq", 0x200, 5, 0)  # console_write {buf, len, ret}
    ram[0x200:0x205] = b"hello"
    write(t, "console_write.bin", hc(1, 0x100, bytes(ram)))
    write(t, "console_write_empty.bin", hc(1, 0x10, bytes(0x10) + struct.pack("<QQq", 0, 0, 0)))
    write(t, "bad_console_write_buf_outside.bin",
          hc(1, 0x8, bytes(8) + struct.pack("<QQq", 0xFFF0, 0x20, 0)))
    write(t, "exit_3.bin", hc(2, 0x8, bytes(8) + struct.pack("<Q", 3)))
    write(t, "exit_255.bin", hc(2, 0x0, struct.pack("<Q", 255)))
    write(t, "bad_exit_reserved_125.bin", hc(2, 0x8, bytes(8) + struct.pack("<Q", 125)))
    write(t, "bad_exit_misaligned.bin", hc(2, 0x4, bytes(4) + struct.pack("<Q", 0)))
    write(t, "bad_arg_outside_ram.bin", hc(2, 0xFFFFFFF8, b""))
    write(t, "bad_unknown_0.bin", hc(0, 0x8, bytes(16)))
    write(t, "bad_unknown_3.bin", hc(3, 0x8, bytes(16)))


def uaccess_seeds():
    t = "uaccess"
    for name, a, n in [("text_page", 0x400000, 0x1000), ("ends_at_top", USER_TOP - 1, 1),
                       ("empty_at_top", USER_TOP, 0), ("one_past_top", USER_TOP - 1, 2),
                       ("kernel", 0xFFFFFFFF80000000, 8), ("wraps", 0x1000, 2**64 - 0x800)]:
        write(t, name + ".bin", struct.pack("<QQ", a, n))


def cmdline_seeds():
    t = "cmdline"
    line = b"selftest=de,ud,pf pcid=0 quiet  stats="
    for name, cap, key in [("selftest", 64, b"selftest"), ("bare_key", 8, b"quiet"),
                           ("empty_value", 1, b"stats"), ("no_fit", 2, b"selftest"),
                           ("missing", 16, b"missing")]:
        write(t, name + ".bin", bytes([cap]) + line + b"\0" + key)
    write(t, "last_wins.bin", bytes([8]) + b"a=1 b=2 a=333\0a")
    write(t, "empty.bin", bytes([4]) + b"\0")


def pvh_info_seeds():
    """u32 start_info address, then physical memory from 0: the start_info QEMU writes."""
    t = "pvh_info"
    si, mm, mods, line, modline = 0x40, 0x100, 0x300, 0x380, 0x3C0
    mib = 1 << 20
    top = 128 * mib - 0x20000
    entries = [(0, 0x9FC00, 1), (0x9FC00, 0x400, 2), (0xF0000, 0x10000, 2), (mib, top - mib, 1),
               (top, 0x20000, 2), (0xFEFFC000, 0x4000, 2), (0xFFFC0000, 0x40000, 2)]

    def memory(version=1, nmods=1, mod=(top - 0x10000, 0x1234)):
        m = bytearray(0x400)
        m[si:si + 56] = struct.pack("<IIIIQQQQII", 0x336EC578, version, 0, nmods, mods, line, 0,
                                    mm, len(entries), 0)
        for i, (a, n, ty) in enumerate(entries):
            m[mm + 24 * i:mm + 24 * (i + 1)] = struct.pack("<QQII", a, n, ty, 0)
        m[mods:mods + 32] = struct.pack("<QQQQ", mod[0], mod[1], modline, 0)
        m[line:line + 13] = b"selftest=all\0"
        m[modline:modline + 15] = b"/x/hello.elf a\0"
        return bytes(m)

    write(t, "qemu_one_module.bin", struct.pack("<I", si) + memory())
    write(t, "qemu_no_module.bin", struct.pack("<I", si) + memory(nmods=0))
    write(t, "bad_version0.bin", struct.pack("<I", si) + memory(version=0))
    write(t, "bad_module_in_kernel.bin", struct.pack("<I", si) + memory(mod=(0x101000, 0x100)))
    write(t, "bad_start_info_outside.bin", struct.pack("<I", 0x3F0) + memory())


def main():
    elf_load_seeds()
    elfcheck_seeds()
    hypercall_seeds()
    uaccess_seeds()
    cmdline_seeds()
    pvh_info_seeds()
    print("seeds written under", CORPUS)


if __name__ == "__main__":
    sys.exit(main())
