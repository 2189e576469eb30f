// Camel's command line ("camel", as jbang's camel@apache/camel alias starts it): the camel-jbang-core
// main, run as a single-file Java program with camel-jbang-core and obsync's jar on the class path.
public class Camel {
    public static void main(String... args) {
        org.apache.camel.dsl.jbang.core.commands.CamelJBangMain.run(args);
    }
}
