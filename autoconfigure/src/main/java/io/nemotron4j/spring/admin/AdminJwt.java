package io.nemotron4j.spring.admin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Bearer JWTs for the admin chain, with the application's {@link JwtDecoder}: the values of a roles claim (a list,
 * or a space-separated string) become roles, so a token with {@code "roles": ["NEMOTRON_ADMIN"]} is an admin.
 * Loaded only when the OAuth2 resource server is on the class path and the application has a decoder.
 *
 * @since 0.1.0
 */
public class AdminJwt implements Customizer<HttpSecurity> {

    private final JwtDecoder decoder;

    private final String rolesClaim;

    private final ProblemResponses problems;

    /**
     * Creates the customizer.
     * @param decoder the application's decoder
     * @param rolesClaim the claim that lists roles
     * @param problems writes 401 and 403 problems
     */
    public AdminJwt(JwtDecoder decoder, String rolesClaim, ProblemResponses problems) {
        this.decoder = decoder;
        this.rolesClaim = rolesClaim;
        this.problems = problems;
    }

    @Override
    public void customize(HttpSecurity http) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(this::roles);
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(this.decoder);
        provider.setJwtAuthenticationConverter(converter);
        // A manager of its own: the chain's manager may be the built-in user's, which knows nothing of JWTs.
        http.oauth2ResourceServer((server) -> server.authenticationEntryPoint(this.problems)
            .accessDeniedHandler(this.problems)
            .jwt((jwt) -> jwt.authenticationManager(new ProviderManager(provider))));
    }

    private Collection<GrantedAuthority> roles(Jwt jwt) {
        Object claim = jwt.getClaims().get(this.rolesClaim);
        List<String> names = new ArrayList<>();
        if (claim instanceof Collection<?> values) {
            values.forEach((value) -> names.add(String.valueOf(value)));
        }
        else if (claim instanceof String value) {
            names.addAll(List.of(value.trim().split("\\s+")));
        }
        return names.stream()
            .filter((name) -> !name.isBlank())
            .map((name) -> (GrantedAuthority) new SimpleGrantedAuthority("ROLE_" + name))
            .toList();
    }

}
