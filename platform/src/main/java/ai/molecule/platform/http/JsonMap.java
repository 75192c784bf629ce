package ai.molecule.platform.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** An ordered JSON object literal that, unlike Map.of, keeps nulls and key order. */
public final class JsonMap {
    private JsonMap() {
    }

    public static Map<String, Object> of(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }
}
