package io.github.asyncore.demo.helm;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The typo guard. fabric8 fails on a value of the wrong type, but keeps a field it does not know (a
 * misspelt {@code readOnlyRootFileSystem}, a key indented one level too deep) in
 * {@code getAdditionalProperties()}, where the API server would drop or reject it. This walks every
 * fabric8 object below a root and reports each non-empty one.
 */
final class UnknownFields {

    private UnknownFields() {
    }

    /** @return "Kind/name path: [fields]" for every object under {@code root} with fields fabric8 did not know */
    static List<String> in(HasMetadata root) {
        List<String> found = new ArrayList<>();
        walk(root, root.getKind() + "/" + root.getMetadata().getName(), found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", found);
            }
        }
        else if (value instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> walk(entry, path + "[" + key + "]", found));
        }
        else if (value != null && value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            for (Method getter : value.getClass().getMethods()) {
                if (!isGetter(getter)) {
                    continue;
                }
                Object property = invoke(getter, value);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (property instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                        found.add(path + ": " + unknown.keySet());
                    }
                }
                else {
                    walk(property, path + "." + propertyName(getter), found);
                }
            }
        }
    }

    /** Getters that can lead to more model objects; String, number and boolean getters cannot. */
    private static boolean isGetter(Method method) {
        Class<?> type = method.getReturnType();
        boolean leadsToModel = type.getPackageName().startsWith("io.fabric8") || List.class.isAssignableFrom(type)
                || Map.class.isAssignableFrom(type);
        return method.getName().startsWith("get") && method.getParameterCount() == 0
                && !Modifier.isStatic(method.getModifiers()) && leadsToModel;
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        }
        catch (IllegalAccessException | InvocationTargetException ex) {
            throw new IllegalStateException("cannot read " + getter, ex);
        }
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

}
