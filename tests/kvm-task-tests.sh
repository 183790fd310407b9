# tests/kvm-task-tests.sh: sourced by tests/kvm-tests.sh: ring-3 tasks under the kernel.
