package io.nemotron4j.spring.admin;

import java.util.List;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Who the admin API sees: the dashboard shows it and checks that a session is alive.
 *
 * @since 0.1.0
 */
@RestController
@RequestMapping(AdminApi.ROOT)
public class MeController {

    /**
     * The signed-in admin.
     * @param name the principal's name
     * @param roles its roles, without the {@code ROLE_} prefix
     */
    record Me(String name, List<String> roles) {
    }

    @GetMapping("/me")
    Me me(Authentication authentication) {
        return new Me(authentication.getName(), authentication.getAuthorities()
            .stream()
            .map(GrantedAuthority::getAuthority)
            .filter((authority) -> authority != null && authority.startsWith("ROLE_"))
            .map((authority) -> authority.substring(5))
            .sorted()
            .toList());
    }

}
