"""Category trees with MPTT numbering, as Saleor (django-mptt) stores them."""


def mptt_numbers(parent_of: dict) -> dict:
    """name -> (tree_id, lft, rght, level) from a name -> parent-name mapping."""
    children: dict = {}
    for name, parent in parent_of.items():
        children.setdefault(parent, []).append(name)
    numbers, counter = {}, [0]

    def visit(node, tree_id, level):
        counter[0] += 1
        left = counter[0]
        for child in children.get(node, []):
            visit(child, tree_id, level + 1)
        counter[0] += 1
        numbers[node] = (tree_id, left, counter[0], level)

    for tree_id, root in enumerate(children.get(None, []), start=1):
        counter[0] = 0
        visit(root, tree_id, 0)
    return numbers
