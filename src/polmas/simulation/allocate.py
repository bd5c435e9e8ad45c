"""Split a whole-number total over weighted bins, exactly, respecting per-bin caps."""


def allocate(total: int, weights: list[float], caps: list[int] | None = None) -> list[int]:
    """Largest-remainder apportionment of `total` by `weights`, each share at most its cap.

    The shares always add up to `total` (unless the caps add up to less, then to their sum).
    """
    n = len(weights)
    caps = caps if caps is not None else [total] * n
    total = min(total, sum(caps))
    shares = [0] * n
    open_bins = [i for i in range(n) if caps[i] > 0 and weights[i] > 0]
    if not open_bins:
        open_bins = [i for i in range(n) if caps[i] > 0]
        weights = [1.0] * n
    left = total
    while left > 0 and open_bins:
        wsum = sum(weights[i] for i in open_bins)
        exact = {i: left * weights[i] / wsum for i in open_bins}
        give = {i: min(int(exact[i]), caps[i] - shares[i]) for i in open_bins}
        given = sum(give.values())
        if given == 0:
            # Hand out the remainders one by one, largest first.
            order = sorted(open_bins, key=lambda i: (-(exact[i] - int(exact[i])), i))
            for i in order:
                if left == 0:
                    break
                if shares[i] < caps[i]:
                    shares[i] += 1
                    left -= 1
        else:
            for i, g in give.items():
                shares[i] += g
            left -= given
        open_bins = [i for i in open_bins if shares[i] < caps[i]]
    return shares
