/* tests/tasks/exit125.c: exits with 125, a status the VMM keeps for itself: the kernel must report it as 122. */
int main(void)
{
	return 125;
}
