package io.github.clipage.clip;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.clipage.prediction.AgeEstimator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/** The fetch command runs apart from the service and does not run inside it. */
@SpringBootTest(properties = "age.model.id=demo")
class FetchCommandTest {

    @Autowired
    ApplicationContext context;

    @Test
    void serviceDoesNotRunFetchCommand() {
        assertThat(context.getBeansOfType(AgeEstimator.class)).hasSize(1);
        assertThat(context.getBeansOfType(FetchCommand.class)).isEmpty();
    }

    @Test
    void fetchOfDemoModelSucceeds() {
        assertThat(FetchCommand.run(new String[] {"--age.model.id=demo", "--spring.main.banner-mode=off"})).isZero();
    }

    @Test
    void fetchOfMissingFolderFails() {
        assertThat(FetchCommand.run(new String[] {"--age.model.path=/nonexistent/checkpoint",
            "--spring.main.banner-mode=off"})).isEqualTo(1);
    }
}
