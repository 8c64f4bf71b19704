package labops.workflow.task;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 409 with the task as it now is, so the person sees what changed instead of overwriting it. */
final class TaskConflict {

    private TaskConflict() {
    }

    static ErrorResponseException of(Task current, String detail) {
        var problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
        problem.setTitle("The task has changed");
        problem.setProperty("task", current);
        return new ErrorResponseException(HttpStatus.CONFLICT, problem, null);
    }
}
