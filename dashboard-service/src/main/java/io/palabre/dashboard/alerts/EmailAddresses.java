package io.palabre.dashboard.alerts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.palabre.support.UntrustedText;

/** E-mail addresses as the API takes them: checked, each once, at most {@value #MAX}. */
public final class EmailAddresses {

    public static final int MAX = 20;

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    private EmailAddresses() {
    }

    /** The usable addresses of {@code given}, in order; what is wrong goes to {@code errors}. */
    public static List<String> checked(List<String> given, List<String> errors) {
        Set<String> addresses = new LinkedHashSet<>();
        if (given == null) {
            return List.of();
        }
        for (String e : given) {
            String address = e == null ? "" : e.strip();
            if (!EMAIL.matcher(address).matches() || address.length() > 254 || UntrustedText.unusable(address) >= 0) {
                errors.add("not an e-mail address: " + UntrustedText.clean(address, false, 100));
            } else {
                addresses.add(address);
            }
        }
        if (addresses.size() > MAX) {
            errors.add("at most " + MAX + " e-mail addresses");
        }
        return new ArrayList<>(addresses);
    }
}
