/* common/hex.h: one hexadecimal digit's value, for the readers that parse hex: the bench's JSON reader, the VMM's GDB stub. */
#ifndef LDE_COMMON_HEX_H
#define LDE_COMMON_HEX_H

/* hex_digit: 0-15 for '0'-'9', 'a'-'f', 'A'-'F'; -1 for any other character. */
static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
