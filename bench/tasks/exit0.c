/* bench/tasks/exit0.c: a task that exits at once: vmm.boot times a whole VM life around it. */
int main(void)
{
	return 0;
}
