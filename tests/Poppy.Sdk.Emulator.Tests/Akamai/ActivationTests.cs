using System.Net;

namespace Poppy.Sdk.Emulator.Tests.Akamai;

/// <summary>Activations and deactivations on the fake clock: PENDING → ACTIVE after the deploy delay; the delete and edit rules they imply.</summary>
public sealed class ActivationTests : AkamaiTestBase
{
    [Fact]
    public async Task Activate_IsPendingWithRetryAfterThenActiveAfterTheDeployDelay()
    {
        var (propertyId, _, _) = await CreatePropertyAsync();

        var activationId = await ActivationIdAsync(propertyId);
        var pending = await ActivationAsync(propertyId, activationId);
        var retryAfter = LastResponse.Headers.RetryAfter?.Delta;
        Time.Advance(DeployDelay - TimeSpan.FromSeconds(1));
        var stillPending = await ActivationAsync(propertyId, activationId);
        Time.Advance(TimeSpan.FromSeconds(1));
        var active = await ActivationAsync(propertyId, activationId);

        Assert.Equal("PENDING", pending["status"]!.GetValue<string>());
        Assert.Equal("ACTIVATE", pending["activationType"]!.GetValue<string>());
        Assert.Equal("STAGING", pending["network"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(60), retryAfter);
        Assert.Equal("PENDING", stillPending["status"]!.GetValue<string>());
        Assert.Equal("ACTIVE", active["status"]!.GetValue<string>());
        Assert.Null(LastResponse.Headers.RetryAfter);
        var property = (await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}{Cg}"))["properties"]!["items"]![0]!;
        Assert.Equal(1, property["stagingVersion"]!.GetValue<int>());
        Assert.Null(property["productionVersion"]);
        Assert.Equal(1, Emulator.Akamai.Properties.Single().StagingVersion);
    }

    [Fact]
    public async Task Activate_WhilePendingOrAlreadyActive_Is422_WithoutEmails400()
    {
        var (propertyId, _, _) = await CreatePropertyAsync();
        var activations = $"/papi/v1/properties/{propertyId}/activations{Cg}";
        await ActivationIdAsync(propertyId);

        var stillPending = await CallAsync(HttpMethod.Post, activations, new { propertyVersion = 1, network = "STAGING", notifyEmails = new[] { "a@example.com" } }, HttpStatusCode.UnprocessableEntity);
        Time.Advance(DeployDelay);
        var alreadyActive = await CallAsync(HttpMethod.Post, activations, new { propertyVersion = 1, network = "STAGING", notifyEmails = new[] { "a@example.com" } }, HttpStatusCode.UnprocessableEntity);
        await CallAsync(HttpMethod.Post, activations, new { propertyVersion = 1, network = "PRODUCTION", notifyEmails = Array.Empty<string>() }, HttpStatusCode.BadRequest);
        await CallAsync(HttpMethod.Post, activations, new { propertyVersion = 1, network = "PRODUCTION" }, HttpStatusCode.BadRequest);
        await CallAsync(HttpMethod.Post, activations, new { propertyVersion = 1, network = "QA", notifyEmails = new[] { "a@example.com" } }, HttpStatusCode.BadRequest);

        Assert.Equal("property_activation_still_pending", stillPending["messageId"]!.GetValue<string>());
        Assert.Equal("property_version_already_active", alreadyActive["messageId"]!.GetValue<string>());
    }

    [Fact]
    public async Task ActivatedVersion_CannotBeEdited_AndANewVersionSupersedesIt()
    {
        var (propertyId, cpcodeId, _) = await CreatePropertyAsync();
        await ActivationIdAsync(propertyId);
        Time.Advance(DeployDelay);

        await CallAsync(HttpMethod.Put, $"/papi/v1/properties/{propertyId}/versions/1/rules{Cg}", Rules(cpcodeId), HttpStatusCode.Forbidden);
        await CallAsync(HttpMethod.Post, $"/papi/v1/properties/{propertyId}/versions{Cg}", new { createFromVersion = 1 }, HttpStatusCode.Created);
        await CallAsync(HttpMethod.Put, $"/papi/v1/properties/{propertyId}/versions/2/rules{Cg}", Rules(cpcodeId));
        var second = await ActivationIdAsync(propertyId, 2);
        Time.Advance(DeployDelay);

        var list = (await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}/activations{Cg}"))["activations"]!["items"]!.AsArray();
        Assert.Equal(["ACTIVE", "INACTIVE"], list.Select(a => a!["status"]!.GetValue<string>()));
        Assert.Equal(second, list[0]!["activationId"]!.GetValue<string>());
        var versions = (await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}/versions{Cg}"))["versions"]!["items"]!.AsArray();
        Assert.Equal(["ACTIVE", "INACTIVE"], versions.Select(v => v!["stagingStatus"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Delete_WhileActive_Is500_AfterDeactivation_Succeeds()
    {
        var (propertyId, _, _) = await CreatePropertyAsync();
        await ActivationIdAsync(propertyId, network: "PRODUCTION");
        var deleteWhilePending = await CallAsync(HttpMethod.Delete, $"/papi/v1/properties/{propertyId}{Cg}", expected: HttpStatusCode.InternalServerError);
        Time.Advance(DeployDelay);
        await CallAsync(HttpMethod.Delete, $"/papi/v1/properties/{propertyId}{Cg}", expected: HttpStatusCode.InternalServerError);
        await CallAsync(HttpMethod.Post, $"/papi/v1/properties/{propertyId}/activations{Cg}", new { propertyVersion = 1, network = "STAGING", activationType = "DEACTIVATE", notifyEmails = new[] { "a@example.com" } }, HttpStatusCode.UnprocessableEntity);

        var deactivation = await ActivateAsync(propertyId, 1, "PRODUCTION", "DEACTIVATE");
        var pending = await ActivationAsync(propertyId, deactivation);
        await CallAsync(HttpMethod.Delete, $"/papi/v1/properties/{propertyId}{Cg}", expected: HttpStatusCode.InternalServerError);
        Time.Advance(DeployDelay);
        var done = await ActivationAsync(propertyId, deactivation);
        var version = (await CallAsync(HttpMethod.Get, $"/papi/v1/properties/{propertyId}/versions/1{Cg}"))["versions"]!["items"]![0]!;
        var deleted = await CallAsync(HttpMethod.Delete, $"/papi/v1/properties/{propertyId}{Cg}");

        Assert.Equal("https://problems.luna.akamaiapis.net/papi/proxy/internal-server-error", deleteWhilePending["type"]!.GetValue<string>());
        Assert.Equal("PENDING", pending["status"]!.GetValue<string>());
        Assert.Equal("ACTIVE", done["status"]!.GetValue<string>());
        Assert.Equal("DEACTIVATE", done["activationType"]!.GetValue<string>());
        Assert.Equal("DEACTIVATED", version["productionStatus"]!.GetValue<string>());
        Assert.Equal("Deletion Successful.", deleted["message"]!.GetValue<string>());
        Assert.Empty(Emulator.Akamai.Properties);
    }

    [Fact]
    public async Task Activate_RulesWithValidationErrors_Is400()
    {
        var created = await CallAsync(HttpMethod.Post, "/papi/v1/properties" + Cg, new { productId = "prd_Fresca", propertyName = "poppy-empty" }, HttpStatusCode.Created);
        var propertyId = IdFrom(created, "propertyLink", "prp");

        var answer = await CallAsync(HttpMethod.Post, $"/papi/v1/properties/{propertyId}/activations{Cg}", new { propertyVersion = 1, network = "STAGING", notifyEmails = new[] { "a@example.com" } }, HttpStatusCode.BadRequest);

        Assert.Equal(2, answer["errors"]!.AsArray().Count);
    }

    [Fact]
    public async Task Cancel_PendingActivation_IsAbortedAndNothingBecomesActive()
    {
        var (propertyId, _, _) = await CreatePropertyAsync();
        var activationId = await ActivationIdAsync(propertyId);

        var cancelled = (await CallAsync(HttpMethod.Delete, $"/papi/v1/properties/{propertyId}/activations/{activationId}{Cg}"))["activations"]!["items"]![0]!;
        Time.Advance(DeployDelay);

        Assert.Equal("ABORTED", cancelled["status"]!.GetValue<string>());
        Assert.Null(Emulator.Akamai.Properties.Single().StagingVersion);
        await CallAsync(HttpMethod.Delete, $"/papi/v1/properties/{propertyId}/activations/{activationId}{Cg}", expected: HttpStatusCode.UnprocessableEntity);
    }

    private Task<string> ActivationIdAsync(string propertyId, int version = 1, string network = "STAGING") => ActivateAsync(propertyId, version, network);
}
