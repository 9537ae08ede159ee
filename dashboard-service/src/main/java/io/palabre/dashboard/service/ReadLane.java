package io.palabre.dashboard.service;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;

/**
 * Puts an endpoint in a lane of {@link ReadLanes}: heavy ones take one of the bounded places, and every statement of
 * the endpoint's transaction gets the lane's time limit.
 */
@InterceptorBinding
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
public @interface ReadLane {

    @Nonbinding
    ReadLanes.Lane value() default ReadLanes.Lane.LOOKUP;
}
