package app.connections;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain is plain Java: AWS types live only in adapter packages ({@code ..aws..}, {@code ..lambda..}). */
@AnalyzeClasses(packages = "app.connections", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIsFreeOfAwsTypes = noClasses()
            .that().resideInAPackage("app.connections..")
            .and().resideOutsideOfPackages("..aws..", "..lambda..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
            .because("the domain and use cases must run and be tested without AWS");

    @ArchTest
    static final ArchRule adaptersAreNotUsedByTheDomain = noClasses()
            .that().resideInAPackage("app.connections..")
            .and().resideOutsideOfPackages("..aws..", "..lambda..")
            .should().dependOnClassesThat().resideInAnyPackage("..aws..", "..lambda..")
            .because("use cases depend on ports; handlers wire the adapters");
}
