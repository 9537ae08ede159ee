package io.palabre.dashboard.service;

import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Runs a {@link ReadLane} endpoint in its lane; inside the endpoint's transaction (this runs after the transaction
 * interceptor), JPA statements get the lane's time limit.
 */
@ReadLane
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class ReadLaneInterceptor {

    private final ReadLanes lanes;
    private final EntityManager entityManager;

    public ReadLaneInterceptor(ReadLanes lanes, EntityManager entityManager) {
        this.lanes = lanes;
        this.entityManager = entityManager;
    }

    @AroundInvoke
    Object inLane(InvocationContext context) throws Exception {
        ReadLane lane = context.getMethod().getAnnotation(ReadLane.class);
        if (lane == null) {
            lane = context.getMethod().getDeclaringClass().getAnnotation(ReadLane.class);
        }
        return lanes.within(lane == null ? ReadLanes.Lane.LOOKUP : lane.value(), () -> {
            if (context.getMethod().isAnnotationPresent(Transactional.class)) {
                entityManager.createNativeQuery(lanes.limitStatement()).executeUpdate();
            }
            return context.proceed();
        });
    }
}
