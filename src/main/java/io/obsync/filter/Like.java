package io.obsync.filter;

import java.util.Arrays;

/**
 * SQL LIKE without regular expressions: % any run, _ one character, escape before either for itself.
 * Matching backtracks only to the last %, so it takes at most text × pattern steps whatever the
 * pattern (a user's '%a%a%a%b' cannot make a task spin).
 */
final class Like {

    /** A pattern position that matches any run of characters. */
    private static final int ANY_RUN = -1;
    /** A pattern position that matches one character. */
    private static final int ANY_ONE = -2;

    private Like() {
    }

    static boolean matches(String text, String pattern, char escape) {
        int[] tokens = tokens(pattern, escape);
        int t = 0;
        int p = 0;
        int runAt = -1;
        int textAtRun = 0;
        while (t < text.length()) {
            if (p < tokens.length && (tokens[p] == ANY_ONE || tokens[p] == text.charAt(t))) {
                t++;
                p++;
            } else if (p < tokens.length && tokens[p] == ANY_RUN) {
                // remember the run; first let it match nothing
                runAt = p++;
                textAtRun = t;
            } else if (runAt >= 0) {
                // let the last run take one more character and try again from there
                p = runAt + 1;
                t = ++textAtRun;
            } else {
                return false;
            }
        }
        while (p < tokens.length && tokens[p] == ANY_RUN) {
            p++;
        }
        return p == tokens.length;
    }

    /** The pattern as characters, ANY_ONE and ANY_RUN; escaped % and _ are characters, a trailing escape itself. */
    private static int[] tokens(String pattern, char escape) {
        int[] out = new int[pattern.length()];
        int n = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == escape && i + 1 < pattern.length()) {
                out[n++] = pattern.charAt(++i);
            } else if (c == '%') {
                if (n == 0 || out[n - 1] != ANY_RUN) {
                    out[n++] = ANY_RUN;
                }
            } else if (c == '_') {
                out[n++] = ANY_ONE;
            } else {
                out[n++] = c;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
