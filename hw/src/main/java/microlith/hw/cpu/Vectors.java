package microlith.hw.cpu;

/** Exception and interrupt vector numbers (AMD64 APM vol. 2, table 8-1). */
public final class Vectors {
    public static final int DE = 0;
    public static final int DB = 1;
    public static final int NMI = 2;
    public static final int BP = 3;
    public static final int OF = 4;
    public static final int BR = 5;
    public static final int UD = 6;
    public static final int NM = 7;
    public static final int DF = 8;
    public static final int TS = 10;
    public static final int NP = 11;
    public static final int SS = 12;
    public static final int GP = 13;
    public static final int PF = 14;
    public static final int MF = 16;
    public static final int AC = 17;
    public static final int MC = 18;
    public static final int XM = 19;

    /** #PF error code bits. */
    public static final int PF_P = 1;
    public static final int PF_W = 2;
    public static final int PF_U = 4;
    public static final int PF_RSVD = 8;
    public static final int PF_I = 16;

    private Vectors() {
    }

    public static boolean pushesErrorCode(int v) {
        return v == DF || v == TS || v == NP || v == SS || v == GP || v == PF || v == AC;
    }

    public static String mnemonic(int v) {
        switch (v) {
            case DE: return "#DE";
            case DB: return "#DB";
            case NMI: return "NMI";
            case BP: return "#BP";
            case OF: return "#OF";
            case BR: return "#BR";
            case UD: return "#UD";
            case NM: return "#NM";
            case DF: return "#DF";
            case TS: return "#TS";
            case NP: return "#NP";
            case SS: return "#SS";
            case GP: return "#GP";
            case PF: return "#PF";
            case MF: return "#MF";
            case AC: return "#AC";
            case MC: return "#MC";
            case XM: return "#XM";
            default: return "vector " + v;
        }
    }
}
