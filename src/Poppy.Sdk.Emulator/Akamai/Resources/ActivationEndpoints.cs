using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Akamai.AkamaiJson;

namespace Poppy.Sdk.Emulator.Akamai.Resources;

/// <summary>
/// Activations (<c>/papi/v1/properties/{id}/activations</c>): submit (<c>ACTIVATE</c> or <c>DEACTIVATE</c> on
/// <c>STAGING</c> or <c>PRODUCTION</c>; <c>notifyEmails</c> required), list, get (<c>Retry-After</c> while
/// <c>PENDING</c>), cancel while pending. 422 when another activation is still pending on the network, when the
/// version is already active there, or when a deactivated version is not the active one; 400 when the rule tree
/// still has validation errors.
/// </summary>
internal sealed class ActivationEndpoints(AkamaiState state)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        var activations = routes.MapGroup("/papi/v1/properties/{propertyId}/activations");
        activations.MapGet("", ListAsync);
        activations.MapPost("", CreateAsync);
        activations.MapGet("/{activationId}", GetAsync);
        activations.MapDelete("/{activationId}", CancelAsync);
    }

    private static AkamaiProperty PropertyOf(Papi p) => p.State.Property(p.Context.Request.RouteValues["propertyId"]?.ToString() ?? "");

    private AkamaiActivation ActivationOf(Papi p, AkamaiProperty property)
    {
        var id = p.Context.Request.RouteValues["activationId"]?.ToString();
        return BareNumber("atv", id) is { } n && property.Activations.Find(a => a.Id == n) is { } a
            ? a
            : throw AkamaiError.NotFound($"The activation '{id}' of prp_{property.Id} does not exist.");
    }

    private async Task CreateAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var body = await ObjectBodyAsync(context).ConfigureAwait(false);
        var number = Number(body, "propertyVersion") ?? throw AkamaiError.BadRequest("The propertyVersion member is required.");
        var network = (Text(body, "network") ?? "").ToUpperInvariant();
        var type = (Text(body, "activationType") ?? AkamaiState.Activate).ToUpperInvariant();
        if (network is not (AkamaiState.Staging or AkamaiState.Production))
        {
            throw AkamaiError.BadRequest($"network '{Text(body, "network")}' is not STAGING or PRODUCTION.");
        }

        if (type is not (AkamaiState.Activate or AkamaiState.Deactivate))
        {
            throw AkamaiError.BadRequest($"activationType '{type}' is not ACTIVATE or DEACTIVATE.");
        }

        if (body["notifyEmails"] is not JsonArray emails || emails.Count == 0 || emails.Any(e => e is not JsonValue v || !v.TryGetValue<string>(out var s) || !s.Contains('@', StringComparison.Ordinal)))
        {
            throw AkamaiError.BadRequest("notifyEmails must list at least one email address.");
        }

        long id;
        string propertyId;
        lock (state.Gate)
        {
            var now = state.Time.GetUtcNow();
            var property = PropertyOf(p);
            var version = AkamaiState.Version(property, (int)Math.Min(number, int.MaxValue));
            if (state.Pending(property, network, now) is { } pending)
            {
                throw AkamaiError.Unprocessable("property_activation_still_pending",
                    $"Activation atv_{pending.Id} of version {pending.Version} is still pending on {network}; wait for it to finish.");
            }

            var active = state.ActiveVersion(property, network, now);
            if (type == AkamaiState.Activate && active == version.Number)
            {
                throw AkamaiError.Unprocessable("property_version_already_active", $"Version {version.Number} of prp_{property.Id} is already active on {network}.");
            }

            if (type == AkamaiState.Deactivate && active != version.Number)
            {
                throw AkamaiError.Unprocessable("property_version_not_active", $"Version {version.Number} of prp_{property.Id} is not active on {network}, so it cannot be deactivated.");
            }

            if (type == AkamaiState.Activate && VersionEndpoints.Errors(state, version.Rules) is { Count: > 0 } errors)
            {
                throw new AkamaiError(400, "papi/v1/validation-errors", "Validation Errors", $"Version {version.Number} has rule tree errors; fix them before activating.")
                {
                    Extensions = new JsonObject { ["errors"] = errors },
                };
            }

            id = state.NewId();
            property.Activations.Add(new AkamaiActivation(id, version.Number, network, type, now, (JsonArray)emails.DeepClone(), Text(body, "note")));
            propertyId = p.PropertyId(property);
        }

        await CreatedAsync(context, "activationLink", p.Link($"properties/{propertyId}/activations/{Id("atv", id, p.Prefixes)}")).ConfigureAwait(false);
    }

    private Task ListAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var now = state.Time.GetUtcNow();
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            return OkAsync(context, p.Envelope(("activations", Papi.Items(property.Activations.OrderByDescending(a => a.Submitted).ThenByDescending(a => a.Id).Select(a => Json(p, property, a, now))))));
        }
    }

    private Task GetAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var now = state.Time.GetUtcNow();
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            var activation = ActivationOf(p, property);
            if (state.Status(property, activation, now) == "PENDING")
            {
                var left = Math.Max(1, (long)Math.Ceiling((activation.Submitted + state.DeployDelay - now).TotalSeconds));
                context.Response.Headers.RetryAfter = Math.Min(left, 60).ToString(CultureInfo.InvariantCulture);
            }

            return OkAsync(context, p.Envelope(("activations", Papi.Items([Json(p, property, activation, now)]))));
        }
    }

    private Task CancelAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup(required: false);
        var now = state.Time.GetUtcNow();
        lock (state.Gate)
        {
            var property = PropertyOf(p);
            var activation = ActivationOf(p, property);
            if (state.Status(property, activation, now) != "PENDING")
            {
                throw AkamaiError.Unprocessable("activation_not_pending", $"Activation atv_{activation.Id} is no longer pending and cannot be cancelled.");
            }

            activation.Cancelled = now;
            return OkAsync(context, p.Envelope(("activations", Papi.Items([Json(p, property, activation, now)]))));
        }
    }

    private JsonNode Json(Papi p, AkamaiProperty property, AkamaiActivation a, DateTimeOffset now) => new JsonObject
    {
        ["activationId"] = Id("atv", a.Id, p.Prefixes),
        ["propertyName"] = property.Name,
        ["propertyId"] = p.PropertyId(property),
        ["propertyVersion"] = a.Version,
        ["network"] = a.Network,
        ["activationType"] = a.Type,
        ["status"] = state.Status(property, a, now),
        ["submitDate"] = Date(a.Submitted),
        ["updateDate"] = Date(state.Done(a, now) ? a.Submitted + state.DeployDelay : a.Cancelled ?? a.Submitted),
        ["note"] = a.Note ?? "",
        ["notifyEmails"] = a.NotifyEmails.DeepClone(),
    };
}
