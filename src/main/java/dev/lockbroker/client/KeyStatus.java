package dev.lockbroker.client;

import dev.lockbroker.core.HolderView;
import dev.lockbroker.core.WaiterView;
import java.util.List;

/** Holders and queue of one key; {@code shard} is null for the whole namespace. */
public record KeyStatus(String shard, List<HolderView> holders, List<WaiterView> queue) {}
