-- Lab reviewers release results that wait for review (scope results.release); lab staff work every other task.
alter table app_user drop constraint app_user_role_check;
alter table app_user add constraint app_user_role_check
    check (role in ('labops-admin', 'tenant-admin', 'lab-staff', 'lab-reviewer', 'ops'));
