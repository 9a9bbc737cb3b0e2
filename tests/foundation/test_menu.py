"""The header's menu: flat when short, in sections (one per app) when long."""

from zone_portal.web.navigation import FLAT_MENU_MAX, nav_menu_for


def entry(label: str, group: str) -> dict:
    return {"label": label, "url": f"/{label}/", "name": label, "group": group}


def test_a_short_menu_is_left_flat():
    items = [entry(f"e{i}", "A" if i % 2 else "B") for i in range(FLAT_MENU_MAX)]
    assert nav_menu_for(items, "/e1/") == items


def test_a_long_menu_is_grouped_in_the_order_of_first_entries_and_single_entries_stay_links():
    items = [
        entry("desk", "Desk"),
        entry("directory", "Enterprises"),
        entry("officers", "Enterprises"),
        entry("catalog", "Services"),
        entry("queue", "Services"),
        entry("board", "Projects"),
        entry("calendar", ""),
        entry("problems", "Problems"),
        entry("meetings", "Problems"),
        entry("ratings", "Services"),
        entry("statistics", "Problems"),
        entry("policies", "Problems"),
        entry("whistles", "Problems"),
    ]
    assert len(items) > FLAT_MENU_MAX
    menu = nav_menu_for(items, "/queue/")
    assert [m["group"] if "links" in m else m["label"] for m in menu] == [
        "desk",
        "Enterprises",
        "Services",
        "board",
        "calendar",
        "Problems",
    ]
    services = menu[2]
    assert [link["label"] for link in services["links"]] == ["catalog", "queue", "ratings"]
    assert services["current"] is True
    assert menu[1]["current"] is False


def test_the_apps_entries_take_their_apps_section(client, django_user_model):
    from django.apps import apps

    from zone_portal.web.navigation import _nav

    groups = {item.url_name: str(item.group) for item in _nav}
    assert groups["services:queue"] == str(apps.get_app_config("services").verbose_name)
    assert groups["benefits:vouchers"] == str(apps.get_app_config("benefits").nav_group)
    assert groups["feedback:leader"] != groups["feedback:list"]  # a leader's desk stands alone
