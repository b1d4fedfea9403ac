package io.calltrack;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Package by feature holds only while features depend on each other one way: the call log does not know webhooks
 * (they follow its change feed), keys do not know the configuration (it tells them its sites), errors do not know
 * which feature threw them.
 */
class ArchitectureTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.calltrack");

    @Test
    void featuresDependOnEachOtherWithoutCycles() {
        slices().matching("io.calltrack.(*)..").should().beFreeOfCycles().check(SERVICE);
    }

    @Test
    void noPackageIsInACycle() {
        slices().matching("io.calltrack.(**)").should().beFreeOfCycles().check(SERVICE);
    }
}
