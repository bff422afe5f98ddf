package microlith.hw.cpu;

/** The x87 FPU's architectural state. */
final class X87State {
}
