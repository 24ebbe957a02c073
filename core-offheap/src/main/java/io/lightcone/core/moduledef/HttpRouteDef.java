package io.lightcone.core.moduledef;

/**
 * An HTTP route of a V10 module ({@code HttpRoutes} section): requests matching method and path go to a handler.
 *
 * @param handler the handler's canonical name (one of {@link ModuleDef#httpHandlers()}).
 * @param method  the HTTP method ({@code GET}, {@code POST}, ... or an extension method as written), or null for
 *                any method.
 * @param path    the route path.
 */
public record HttpRouteDef(String handler, String method, String path)
{
}
