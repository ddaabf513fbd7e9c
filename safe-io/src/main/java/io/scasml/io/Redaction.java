package io.scasml.io;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps credentials inside the process: configuration values whose key looks like a credential are shown as
 * {@value #MASK} in provenance, logs and printed output.
 *
 * <p>A key is secret when it contains (case-insensitively) one of: secret, password, passwd, pwd, token, credential,
 * access.key / access-key / accesskey, private.key, session.key, signature, auth (as in {@code auth.key},
 * {@code authorization}), sas, apikey / api.key, account.key (Azure), encryption.key, or a key ending in
 * {@code .key}. Better a harmless key masked than a credential written to a
 * shared file.
 */
public final class Redaction {
    /** What a secret value is replaced by. */
    public static final String MASK = "***";

    private static final Pattern SECRET_KEY = Pattern.compile(
        "(?i).*(secret|password|passwd|pwd|token|credential|access[._-]?key|private[._-]?key|session[._-]?key"
            + "|signature|auth|(^|[._-])sas([._-]|$)|api[._-]?key|keystore|truststore\\.pass"
            + "|account[._-]?key|encryption[._-]?key|([._-]|^)key$).*");
    /** key=value pairs inside free text (command lines, messages). */
    private static final Pattern PAIR = Pattern.compile("([A-Za-z0-9_.\\-]+)=(\\S+)");
    /** user:password@ in URIs. */
    private static final Pattern URI_USERINFO = Pattern.compile("(?<=://)([^/:@\\s]+):([^/@\\s]+)@");

    private Redaction() {
    }

    /** Whether a configuration key names a credential. */
    public static boolean isSecret(String key) {
        return key != null && SECRET_KEY.matcher(key).matches();
    }

    /** {@code value}, or {@link #MASK} when {@code key} names a credential. */
    public static String value(String key, String value) {
        return isSecret(key) ? MASK : value;
    }

    /** A copy of {@code conf} (order kept) with secret values masked. */
    public static Map<String, String> map(Map<String, String> conf) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : conf.entrySet()) {
            out.put(e.getKey(), value(e.getKey(), e.getValue()));
        }
        return out;
    }

    /**
     * Free text with secrets masked: {@code key=value} pairs whose key names a credential and the password in
     * {@code scheme://user:password@host} URIs.
     */
    public static String text(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = PAIR.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String rep = isSecret(m.group(1)) ? m.group(1) + "=" + MASK : m.group();
            m.appendReplacement(b, Matcher.quoteReplacement(rep));
        }
        m.appendTail(b);
        return URI_USERINFO.matcher(b).replaceAll("$1:" + Matcher.quoteReplacement(MASK) + "@");
    }
}
