package labops.normalizer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NormalizerApplication {

    public static void main(String[] args) {
        SpringApplication.run(NormalizerApplication.class, args);
    }
}
