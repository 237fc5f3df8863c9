package dev.wisp.runtime.java;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * A resolved handler: {@code pkg.Class::method} or {@code pkg.Class}. Stream handlers get the raw
 * bytes; every other handler gets its declared input type decoded from JSON and its result encoded.
 */
final class Handler {
    private final Object target;
    private final Method method;
    private final Type inputType;
    private final boolean stream;

    private Handler(Object target, Method method, Type inputType, boolean stream) {
        this.target = target;
        this.method = method;
        this.inputType = inputType;
        this.stream = stream;
    }

    static Handler load(String spec, ClassLoader loader) throws ReflectiveOperationException {
        int sep = spec.indexOf("::");
        String className = sep < 0 ? spec : spec.substring(0, sep);
        String methodName = sep < 0 ? null : spec.substring(sep + 2);
        Class<?> type = Class.forName(className, true, loader);
        Object target = null;
        if (methodName == null || methodName.equals("handleRequest")) {
            if (RequestStreamHandler.class.isAssignableFrom(type)) {
                Method m = type.getMethod("handleRequest", InputStream.class, OutputStream.class, Context.class);
                return new Handler(newInstance(type), m, null, true);
            }
            if (RequestHandler.class.isAssignableFrom(type)) {
                Type in = requestHandlerInput(type);
                Method m = findMethod(type, "handleRequest");
                return new Handler(newInstance(type), m, in, false);
            }
        }
        Method m = findMethod(type, methodName == null ? "handleRequest" : methodName);
        if (!Modifier.isStatic(m.getModifiers())) target = newInstance(type);
        Class<?>[] params = m.getParameterTypes();
        boolean isStream = params.length >= 2 && params[0] == InputStream.class && params[1] == OutputStream.class;
        Type in = params.length == 0 ? null : m.getGenericParameterTypes()[0];
        return new Handler(target, m, in, isStream);
    }

    private static Object newInstance(Class<?> type) throws ReflectiveOperationException {
        var c = type.getDeclaredConstructor();
        c.setAccessible(true);
        return c.newInstance();
    }

    /** The most specific public method of that name; bridge methods from generics are skipped. */
    private static Method findMethod(Class<?> type, String name) throws NoSuchMethodException {
        Method best = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && !m.isBridge() && (best == null || m.getParameterCount() > best.getParameterCount())) {
                best = m;
            }
        }
        if (best == null) throw new NoSuchMethodException(type.getName() + "::" + name);
        best.setAccessible(true);
        return best;
    }

    private static Type requestHandlerInput(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments()[0];
                }
            }
        }
        return Object.class;
    }

    /**
     * Runs the handler; returns the response bytes. Handler exceptions propagate unwrapped.
     * RequestHandler and RequestStreamHandler are called through their interfaces: a first
     * reflective call spins method-handle classes, which costs milliseconds on a cold start.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    byte[] invoke(byte[] payload, Context context) throws Throwable {
        if (target instanceof RequestStreamHandler h && stream && method.getName().equals("handleRequest")
                && method.getParameterCount() == 3) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            h.handleRequest(new ByteArrayInputStream(payload), out, context);
            return out.toByteArray();
        }
        if (target instanceof RequestHandler h && !stream && method.getName().equals("handleRequest")) {
            return encode(h.handleRequest(decode(payload), context));
        }
        try {
            if (stream) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                Object[] args = method.getParameterCount() == 3
                        ? new Object[] {new ByteArrayInputStream(payload), out, context}
                        : new Object[] {new ByteArrayInputStream(payload), out};
                method.invoke(target, args);
                return out.toByteArray();
            }
            Object[] args = new Object[method.getParameterCount()];
            if (args.length > 0) args[0] = decode(payload);
            if (args.length > 1) args[1] = context;
            Object result = method.invoke(target, args);
            return encode(result);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object decode(byte[] payload) throws Exception {
        if (inputType == byte[].class) return payload;
        if (inputType == InputStream.class) return new ByteArrayInputStream(payload);
        return Json.read(payload, inputType);
    }

    private static byte[] encode(Object result) throws Exception {
        if (result == null) return "null".getBytes(StandardCharsets.UTF_8);
        if (result instanceof byte[] b) return b;
        return Json.write(result);
    }
}
