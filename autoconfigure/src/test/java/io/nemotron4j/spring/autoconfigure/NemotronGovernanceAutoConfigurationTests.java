package io.nemotron4j.spring.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;

import javax.sql.DataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nemotron4j.spring.governance.AdminAuditLog;
import io.nemotron4j.spring.governance.ApiKeys;
import io.nemotron4j.spring.governance.GovernanceSchema;
import io.nemotron4j.spring.governance.GovernanceService;
import io.nemotron4j.spring.governance.LeaseSweeper;
import io.nemotron4j.spring.governance.QuotaAlertListener;
import io.nemotron4j.spring.governance.QuotaAlertMetrics;
import io.nemotron4j.spring.governance.QuotaAlertWebhook;
import io.nemotron4j.spring.governance.Tenants;
import io.nemotron4j.spring.governance.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Governance is opt-in: without JDBC and Flyway on the class path (an app with only the main starter) there is no
 * DataSource and no governance bean; with them and a DataSource everything switches on, migrates into its own
 * history table, and leaves the host's Flyway alone.
 */
class NemotronGovernanceAutoConfigurationTests {

    private static TestDatabase database;

    @BeforeAll
    static void schema() {
        database = TestDatabase.create();
    }

    @AfterAll
    static void drop() {
        database.close();
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
                NemotronChatAutoConfiguration.class, NemotronGovernanceAutoConfiguration.class));

    @Test
    void mainStarterClassPathHasNoDataSourceAndNoGovernance() {
        // What the main starter brings: no spring-jdbc, Flyway, Hikari or driver. Even a configured URL cannot make
        // a DataSource appear then.
        this.runner
            .withClassLoader(new FilteredClassLoader("org.springframework.jdbc", "org.flywaydb", "com.zaxxer",
                    "org.postgresql"))
            .withPropertyValues("spring.datasource.url=" + database.url())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(DataSource.class);
                assertThat(context).doesNotHaveBean(GovernanceService.class);
                assertThat(context).doesNotHaveBean(NemotronGovernanceProperties.class);
            });
    }

    @Test
    void noDataSourceMeansNoGovernanceEvenWithTheLibrariesPresent() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NemotronGovernanceAutoConfiguration.class))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(GovernanceService.class);
            });
    }

    @Test
    void governanceStarterClassPathWithADataSourceSwitchesEverythingOnAndKeepsTheHostsFlyway() {
        this.runner
            .withPropertyValues("spring.datasource.url=" + database.url(),
                    "spring.datasource.username=" + TestDatabase.USER,
                    "spring.flyway.locations=classpath:db/host-migration", "nemotron.governance.lease=2m",
                    "nemotron.governance.sweep-interval=1h")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(GovernanceSchema.class)
                    .hasSingleBean(GovernanceService.class)
                    .hasSingleBean(Tenants.class)
                    .hasSingleBean(ApiKeys.class)
                    .hasSingleBean(AdminAuditLog.class)
                    .hasSingleBean(LeaseSweeper.class);
                assertThat(context.getBean(GovernanceService.class).lease()).isEqualTo(Duration.ofMinutes(2));
                assertThat(context.getBean(LeaseSweeper.class).isRunning()).isTrue();
                DataSource dataSource = context.getBean(DataSource.class);
                // Governance history in its own table; the host's migration ran under the host's own history.
                assertThat(TestDatabase.count(dataSource,
                        "select count(*) from nemotron4j_schema_history where success and version = '1'"))
                    .isEqualTo(1);
                assertThat(TestDatabase.count(dataSource,
                        "select count(*) from flyway_schema_history where success and version = '1'"))
                    .isEqualTo(1);
                assertThat(TestDatabase.count(dataSource, "select count(*) from host_orders")).isZero();
                assertThat(TestDatabase.count(dataSource,
                        "select count(*) from flyway_schema_history where script like '%governance%'"))
                    .isZero();
                // And it works: a tenant can be created through the configured beans.
                context.getBean(Tenants.class).create("autoconfigured", ZoneId.of("UTC"));
                assertThat(TestDatabase.count(dataSource, "select count(*) from n4j_tenant")).isEqualTo(1);
            });
    }

    @Test
    void alertsGoToEventsAlwaysToMetricsWithARegistryAndToAWebhookOnlyWithAUrl() {
        // A schema of its own: the shared one must stay empty for the test of the host's Flyway.
        try (TestDatabase own = TestDatabase.create()) {
            alertListeners(this.runner.withPropertyValues("spring.datasource.url=" + own.url(),
                    "spring.datasource.username=" + TestDatabase.USER, "spring.flyway.enabled=false",
                    "nemotron.governance.sweep-interval=1h"));
        }
    }

    private static void alertListeners(ApplicationContextRunner governed) {
        governed.run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(QuotaAlertListener.class)).hasSize(1);
            assertThat(context).doesNotHaveBean(QuotaAlertWebhook.class).doesNotHaveBean(QuotaAlertMetrics.class);
        });
        governed.withBean(SimpleMeterRegistry.class)
            .withPropertyValues("nemotron.governance.alerts.webhook-url=http://127.0.0.1:9/alerts")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(QuotaAlertWebhook.class).hasSingleBean(QuotaAlertMetrics.class);
                assertThat(context.getBeansOfType(QuotaAlertListener.class)).hasSize(3);
            });
        governed.withPropertyValues("nemotron.governance.alerts.thresholds=").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(NemotronGovernanceProperties.class).getAlerts().getThresholds()).isEmpty();
        });
        governed.withPropertyValues("nemotron.governance.alerts.thresholds=0,80")
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 100"));
    }

    @Test
    void switchedOffByProperty() {
        this.runner
            .withPropertyValues("spring.datasource.url=" + database.url(),
                    "spring.datasource.username=" + TestDatabase.USER, "spring.flyway.enabled=false",
                    "nemotron.governance.enabled=false")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).hasSingleBean(DataSource.class);
                assertThat(context).doesNotHaveBean(GovernanceService.class);
            });
    }

    @Test
    void everyGovernanceDependencyOfThisModuleIsOptionalOrTestScoped() throws Exception {
        // Optional dependencies do not reach the main starter's users: this keeps JDBC, Flyway and JPA out of an app
        // that only wants the ChatModel.
        var document = javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(Files.newInputStream(Path.of("pom.xml")));
        NodeList dependencies = document.getElementsByTagName("dependency");
        int checked = 0;
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element dependency = (Element) dependencies.item(i);
            String artifact = text(dependency, "artifactId");
            if (artifact.contains("jdbc") || artifact.contains("flyway") || artifact.contains("jpa")
                    || artifact.contains("postgresql") || artifact.contains("security")
                    || artifact.contains("hibernate")) {
                boolean optional = "true".equals(text(dependency, "optional"));
                boolean test = "test".equals(text(dependency, "scope"));
                assertThat(optional || test).as(artifact + " must be optional or test-scoped").isTrue();
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(2);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return (nodes.getLength() > 0) ? nodes.item(0).getTextContent().trim() : "";
    }

}
