package dev.byok.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every API error to {@code application/problem+json}; nothing internal leaks. */
public class ProblemMappers {
    public static final String PROBLEM_JSON = "application/problem+json";

    /** A problem whose extensions hold {@code retryAfterSeconds} also gets the Retry-After header (overload, 503). */
    @ServerExceptionMapper
    public Response problem(Problem p) {
        Response response = response(p.status(), p.title(), p.getMessage(), p.extensions());
        return p.extensions().get("retryAfterSeconds") instanceof Number seconds
                ? Response.fromResponse(response)
                        .header("Retry-After", seconds.longValue())
                        .build()
                : response;
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return response(
                400,
                "Unknown field",
                "unknown field '" + e.getPropertyName() + "' (allowed: " + e.getKnownPropertyIds() + ")",
                Map.of());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        return response(
                400, "Malformed JSON", "the request body is not valid JSON for this operation" + where, Map.of());
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown); // the JSON reader wraps Jackson's errors in a 400
        }
        if (e.getCause() instanceof JsonProcessingException malformed) {
            return malformedJson(malformed);
        }
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null
                ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return response(status, title, status == 404 ? "no such resource" : title.toLowerCase(), Map.of());
    }

    static Response response(int status, String title, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
