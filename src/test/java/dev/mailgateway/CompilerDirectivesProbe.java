package dev.mailgateway;

import java.io.OutputStream;
import java.lang.reflect.Method;
import org.apache.camel.util.StringHelper;

/**
 * A child JVM for {@link CompilerDirectivesTest}: adds the gateway's compiler directives as the gateway does, then
 * runs one framework method (Camel's) and one of the byte loops the directives keep for C2 (the relay's dot
 * stuffing) until both are hot enough for C2. Started with -XX:+PrintCompilation, whose lines say what happened.
 */
public final class CompilerDirectivesProbe {

    private CompilerDirectivesProbe() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("answer: " + CompilerDirectives.install());
        String text = "a line of text with a few a's in it, ".repeat(8);
        Method dotStuffing = Class.forName("dev.mailgateway.relay.DotStuffer")
                .getDeclaredMethod("write", byte[].class, OutputStream.class);
        dotStuffing.setAccessible(true);
        byte[] message = ("Subject: x\r\n\r\n" + text + "\r\n.dot\r\n").repeat(4).getBytes();
        long sum = 0;
        for (int i = 0; i < 50_000; i++) {
            sum += StringHelper.countChar(text, 'a');
            dotStuffing.invoke(null, message, OutputStream.nullOutputStream());
        }
        System.out.println("done " + sum);
    }
}
