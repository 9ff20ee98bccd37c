package net.gpt2j.runtime.model;

/**
 * A runtime setting as a user gives it: a system property (for a program that embeds the runtime),
 * else an environment variable (for the launcher), else {@code auto}.
 */
final class UserSetting {

    private UserSetting() {}

    static String read(String property, String env) {
        String value = System.getProperty(property);
        if (value != null && !value.isBlank()) {
            return value;
        }
        value = System.getenv(env);
        return value != null && !value.isBlank() ? value : "auto";
    }
}
