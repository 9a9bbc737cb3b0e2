from django.http import HttpResponse


def _todo(request, *args, **kwargs):
    return HttpResponse("")


inspection_list = inspection_new = inspection_detail = inspection_act = _todo
hazard_list = hazard_detail = hazard_act = file_download = _todo
campaign_list = campaign_detail = exposure_list = _todo
