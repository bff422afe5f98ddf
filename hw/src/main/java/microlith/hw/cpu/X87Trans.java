package microlith.hw.cpu;

/** x87 transcendental instructions (placeholder while the exact core is being tested). */
final class X87Trans {
    private X87Trans() {
    }

    static void f2xm1(X87State s) {
        throw CpuException.ud();
    }

    static void fyl2x(X87State s, boolean plusOne) {
        throw CpuException.ud();
    }

    static void fptan(X87State s) {
        throw CpuException.ud();
    }

    static void fpatan(X87State s) {
        throw CpuException.ud();
    }

    static void fsincos(X87State s) {
        throw CpuException.ud();
    }

    static void fsinOrCos(X87State s, boolean sin) {
        throw CpuException.ud();
    }
}
