import re
def test_probe(client, facility, coordinator):
    client.force_login(coordinator)
    r = client.get(f"/admin/pages/{facility.confocal.pk}/edit/")
    print(r.status_code)
    html = r.content.decode()
    print(sorted(set(re.findall(r'name="([^"]+)"', html))))
    r = client.get(f"/admin/pages/{facility.orbitrap.pk}/edit/")
    print(r.status_code, r.get("Location"))
    r = client.get(f"/admin/pages/add/labpages/instrumentpage/{facility.proteomics_lab.pk}/")
    print(r.status_code, r.get("Location"))
    r = client.get(f"/admin/pages/add/labpages/instrumentpage/{facility.imaging_lab.pk}/")
    print(r.status_code, r.get("Location"))
