package ai.molecule.platform.http;

import io.javalin.config.RoutesConfig;

/** A feature's routes; each feature package has one, kept thin. */
public interface RouteModule {
    void addTo(RoutesConfig routes);
}
