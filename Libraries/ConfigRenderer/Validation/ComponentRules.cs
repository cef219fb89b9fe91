using DendriteAspire.ConfigRenderer.Model;

namespace DendriteAspire.ConfigRenderer.Validation;

/// <summary>Rules for media_api, room_server, sync_api, user_api and mscs.</summary>
internal static class ComponentRules
{
    public static void Check(DendriteConfig config, Findings findings)
    {
        CheckMedia(config.MediaApi ?? new MediaApiConfig(), findings);

        if (config.RoomServer?.DefaultRoomVersion is { } roomVersion)
        {
            if (!KnownValues.RoomVersions.Contains(roomVersion))
            {
                findings.Error("room_server.default_room_version",
                    $"\"{roomVersion}\" is not a room version Dendrite knows; use one of 1 to 12 (10 is Dendrite's default), or remove the key");
            }
            else if (KnownValues.RoomVersionsSinceV0150.Contains(roomVersion))
            {
                findings.Warning("room_server.default_room_version",
                    $"room version {roomVersion} needs Dendrite v0.15.0 or later; older images refuse to start, so use 10 or 11 there");
            }
        }

        if (config.SyncApi?.Search is { Enabled: true } search)
        {
            if (search.IndexPath is not null && string.IsNullOrWhiteSpace(search.IndexPath))
            {
                findings.Error("sync_api.search.index_path", "is empty while search is enabled, and Dendrite refuses to start (even with in_memory); set it to e.g. /var/dendrite/searchindex, or remove the key for ./searchindex");
            }

            if (search.Language is not null && !KnownValues.SearchLanguages.Contains(search.Language))
            {
                findings.Error("sync_api.search.language",
                    $"\"{search.Language}\" is not a search language; use one of {KnownValues.Join(KnownValues.SearchLanguages)}");
            }
        }

        if (config.UserApi is { } userApi)
        {
            if (userApi.BcryptCost is { } cost && cost is < KnownValues.MinBcryptCost or > KnownValues.MaxBcryptCost)
            {
                findings.Error("user_api.bcrypt_cost",
                    $"is {cost}; use {KnownValues.MinBcryptCost} to {KnownValues.MaxBcryptCost} (10 is the default): below 4 is silently replaced by 10, above 31 makes every login fail");
            }

            if (userApi.OpenIdTokenLifetimeMs < 0)
            {
                findings.Error("user_api.openid_token_lifetime_ms", "must not be negative; use e.g. 3600000 (one hour)");
            }
        }

        var mscs = config.Mscs?.Mscs ?? [];
        for (var i = 0; i < mscs.Count; i++)
        {
            if (!KnownValues.Mscs.Contains(mscs[i]))
            {
                findings.Warning($"mscs.mscs[{i}]",
                    $"\"{mscs[i]}\" is not an MSC Dendrite implements, so it does nothing; use {KnownValues.Join(KnownValues.Mscs)} or remove it");
            }
        }
    }

    private static void CheckMedia(MediaApiConfig media, Findings findings)
    {
        if (string.IsNullOrWhiteSpace(media.BasePath))
        {
            findings.Error("media_api.base_path", "is missing; set it to the media directory, e.g. /var/dendrite/media");
        }

        if (media.MaxFileSizeBytes < 0)
        {
            findings.Error("media_api.max_file_size_bytes", "must not be negative; use a number of bytes such as 10485760 (10 MiB), or 0 for unlimited");
        }

        if (media.MaxThumbnailGenerators < 0)
        {
            findings.Error("media_api.max_thumbnail_generators", "must not be negative; use e.g. 10");
        }

        var sizes = media.ThumbnailSizes ?? [];
        for (var i = 0; i < sizes.Count; i++)
        {
            var path = $"media_api.thumbnail_sizes[{i}]";
            if (sizes[i].Width < 0)
            {
                findings.Error($"{path}.width", "must not be negative; use e.g. 96");
            }

            if (sizes[i].Height < 0)
            {
                findings.Error($"{path}.height", "must not be negative; use e.g. 96");
            }

            if (sizes[i].Method is { } method && !KnownValues.ThumbnailMethods.Contains(method))
            {
                findings.Error($"{path}.method", $"\"{method}\" is not a thumbnail method; use crop or scale");
            }
        }
    }
}
