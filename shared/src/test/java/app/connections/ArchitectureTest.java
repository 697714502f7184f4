package app.connections;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of {@code shared} (docs/architecture.md, "Packages"): features without import loops,
 * the wiring on top, the domain free of HTTP and AWS types. No rule lists an exception.
 */
@AnalyzeClasses(packages = "app.connections", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String WIRING = "app.connections.wiring..";
    private static final String[] ADAPTERS = {"..aws..", "..lambda..", "..http.."};

    @ArchTest
    static final ArchRule featuresDoNotDependOnEachOtherInCycles = slices()
            .matching("app.connections.(*)..")
            .should().beFreeOfCycles()
            .because("a feature that imports a feature that imports it cannot be understood, tested or moved alone");

    @ArchTest
    static final ArchRule nothingBelowTheWiringDependsOnIt = noClasses()
            .that().resideInAPackage("app.connections..")
            .and().resideOutsideOfPackage(WIRING)
            .should().dependOnClassesThat().resideInAPackage(WIRING)
            .because("the composition root sits above the features; handlers use it, nothing else");

    @ArchTest
    static final ArchRule theDomainKnowsNothingOfHttp = noClasses()
            .that().resideInAPackage("app.connections..")
            .and().resideOutsideOfPackages(ADAPTERS)
            .and().resideOutsideOfPackages("app.connections.api..", WIRING)
            .should().dependOnClassesThat().resideInAPackage("app.connections.api..")
            .because("errors are domain errors in domain words, mapped to HTTP only in ErrorMapper");

    @ArchTest
    static final ArchRule domainIsFreeOfAwsTypes = noClasses()
            .that().resideInAPackage("app.connections..")
            .and().resideOutsideOfPackages("..aws..", "..lambda..", WIRING)
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
            .because("the domain and use cases must run and be tested without AWS");

    @ArchTest
    static final ArchRule adaptersAreNotUsedByTheDomain = noClasses()
            .that().resideInAPackage("app.connections..")
            .and().resideOutsideOfPackages("..aws..", "..lambda..", WIRING)
            .should().dependOnClassesThat().resideInAnyPackage("..aws..", "..lambda..")
            .because("use cases depend on ports; the wiring builds the adapters");
}
