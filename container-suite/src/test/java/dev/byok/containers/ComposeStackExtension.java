package dev.byok.containers;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the one {@link ComposeStack} of the suite: started by the first test class that asks, stopped when
 * every test has run (JUnit's root store closes it).
 */
public final class ComposeStackExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ComposeStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.create(ComposeStack.class))
                .getOrComputeIfAbsent(
                        ComposeStack.class,
                        key -> {
                            try {
                                return ComposeStack.start();
                            } catch (Exception e) {
                                throw new IllegalStateException(
                                        "the compose stack did not start: " + e.getMessage(), e);
                            }
                        },
                        ComposeStack.class);
    }
}
