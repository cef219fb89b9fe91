// One Dendrite stack at a time: the live collections start real containers, and CI machines are small.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
