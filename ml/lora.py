"""Low-rank adapters (LoRA) on the linear layers of the base model's program head."""

import torch
from torch import nn

RANK = 4


class LoraLinear(nn.Module):
    """y = base(x) + (x A^T) B^T, with A (rank, in) and B (out, rank); B starts at zero."""

    def __init__(self, base: nn.Linear, a: torch.Tensor, b: torch.Tensor):
        super().__init__()
        self.base = base
        self.a = nn.Parameter(a.clone())
        self.b = nn.Parameter(b.clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.base(x) + (x @ self.a.t()) @ self.b.t()


def linear_names(head: nn.Sequential) -> list[str]:
    return [str(i) for i, m in enumerate(head) if isinstance(m, nn.Linear)]


def fresh_factors(head: nn.Sequential, seed: int) -> dict[str, torch.Tensor]:
    """Random A, zero B for every linear layer: the adapted head starts equal to the base."""
    gen = torch.Generator().manual_seed(seed)
    out = {}
    for name in linear_names(head):
        layer = head[int(name)]
        out[f"{name}.a"] = torch.randn(RANK, layer.in_features, generator=gen) / layer.in_features
        out[f"{name}.b"] = torch.zeros(layer.out_features, RANK)
    return out


def adapted_head(head: nn.Sequential, factors: dict[str, torch.Tensor]) -> nn.Sequential:
    """A copy of `head` whose linear layers carry the given LoRA factors (shared base weights)."""
    layers = []
    for i, m in enumerate(head):
        key = str(i)
        if f"{key}.a" in factors:
            device = m.weight.device
            m = LoraLinear(m, factors[f"{key}.a"].to(device), factors[f"{key}.b"].to(device))
        layers.append(m)
    return nn.Sequential(*layers)


def factors_of(head: nn.Sequential) -> dict[str, torch.Tensor]:
    return {
        f"{i}.{n}": getattr(m, n).detach().cpu()
        for i, m in enumerate(head)
        if isinstance(m, LoraLinear)
        for n in ("a", "b")
    }
